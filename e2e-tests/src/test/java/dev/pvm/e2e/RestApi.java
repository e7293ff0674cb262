package dev.pvm.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The gateway's REST API as a client sees it: plain HTTP and JSON. */
final class RestApi {
  record Response(int status, String contentType, String body) {
    JsonNode json() {
      return MAPPER.readTree(body);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Function<String, URI> uri;

  RestApi(Function<String, URI> uri) {
    this.uri = uri;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri.apply(path)).GET());
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri.apply(path)).DELETE());
  }

  Response post(String path, String json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri.apply(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response post(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri.apply(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A VM's state as {@code GET /api/v1/vms/{id}} reports it. */
  String vmState(String id) throws IOException, InterruptedException {
    return get("/api/v1/vms/" + id).json().get("state").asString();
  }

  /** A VM's record and the gateway's log, for a failure message; never throws. */
  String vmDiagnostics(String id, Supplier<String> gatewayLog) {
    try {
      return "VM record: " + get("/api/v1/vms/" + id).body() + "\ngateway log:\n" + gatewayLog.get();
    } catch (Exception e) {
      return "VM record unavailable (" + e + ")\ngateway log:\n" + gatewayLog.get();
    }
  }

  private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }
}
