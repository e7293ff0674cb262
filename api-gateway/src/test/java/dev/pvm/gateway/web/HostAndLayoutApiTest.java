package dev.pvm.gateway.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.GatewayTestBase;
import dev.pvm.gateway.fake.FakeDeviceService;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** GET /api/v1/host/devices and POST /api/v1/layouts: proto answers as JSON with 64-bit values in hex. */
class HostAndLayoutApiTest extends GatewayTestBase {

    @Test
    void listsHostDevicesWithNvlinkDetailsInHex() throws Exception {
        mvc.perform(get("/api/v1/host/devices"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hostSource").value("simulated:test"))
                .andExpect(jsonPath("$.devices[0].address").value(FakeDeviceService.GPU))
                .andExpect(jsonPath("$.devices[0].vendorId").value("0x10de"))
                .andExpect(jsonPath("$.devices[0].classCode").value("0x030200"))
                .andExpect(jsonPath("$.devices[0].kind").value("NVLINK2_GPU"))
                .andExpect(jsonPath("$.devices[0].iommuGroup").value(2))
                .andExpect(jsonPath("$.devices[0].nvlink2.tgt").value("0x400000000000"))
                .andExpect(jsonPath("$.devices[0].nvlink2.gpuRamSize").value("0x400000000"))
                .andExpect(jsonPath("$.devices[1].nvlink2.linkSpeed").value(9))
                .andExpect(jsonPath("$.devices[1].nvlink2.atsdSize").value("0x10000"))
                .andExpect(jsonPath("$.devices[2].nvlink2").doesNotExist())
                .andExpect(jsonPath("$.devices[2].reservedBy").doesNotExist());
    }

    @Test
    void computesALayoutWithAddressesAsLowerCaseHex() throws Exception {
        String body = "{\"machine\":\"pseries-4.1\",\"vcpus\":2,\"memoryMiB\":1024,\"boot\":{\"builtin\":\"hello\"},"
                + "\"phbs\":[{\"index\":1,\"devices\":[\"" + FakeDeviceService.GPU + "\"]}]}";
        mvc.perform(post("/api/v1/layouts").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.machine").value("pseries-4.1"))
                .andExpect(jsonPath("$.numaNodes[0].ram.base").value("0x0"))
                .andExpect(jsonPath("$.numaNodes[0].ram.size").value("0x40000000"))
                .andExpect(jsonPath("$.cpuNode.length()").value(2))
                .andExpect(jsonPath("$.phbs[1].index").value(1))
                .andExpect(jsonPath("$.phbs[1].buid").value("0x800000020000001"))
                .andExpect(jsonPath("$.phbs[1].liobns[0]").value(2147483649L))
                .andExpect(jsonPath("$.phbs[1].mmio32.base").value("0x201080000000"))
                .andExpect(jsonPath("$.phbs[1].mmio64.size").value("0x800000000"))
                .andExpect(jsonPath("$.phbs[1].gpuSlots[0].tgt").value("0x400000000000"))
                .andExpect(jsonPath("$.phbs[1].gpuSlots[0].ram.base").value("0x20000000000"))
                .andExpect(jsonPath("$.phbs[1].gpuSlots[0].links[0].atsdGpa").value("0x6000000060000"))
                .andExpect(jsonPath("$.phbs[1].devices[0].devfn").value(8))
                .andExpect(jsonPath("$.associativityReferencePoints[2]").value(2));
    }

    @Test
    void layoutOfAnInvalidDefinitionIsABadRequest() throws Exception {
        mvc.perform(post("/api/v1/layouts").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"machine\":\"pseries-4.1\",\"vcpus\":2,\"memoryMiB\":100,"
                                + "\"boot\":{\"builtin\":\"hello\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("memoryMiB"));
    }

    @Test
    void layoutRefusedByPlacementNamesTheRestField() throws Exception {
        mvc.perform(post("/api/v1/layouts").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"machine\":\"pseries-4.1\",\"vcpus\":1,\"memoryMiB\":256,"
                                + "\"boot\":{\"builtin\":\"hello\"},\"phbs\":[{\"index\":13,\"devices\":[]}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("phbs[0].index"))
                .andExpect(jsonPath("$.errors[0].message").value("PHB index 13 collides with a test rule"));
    }
}
