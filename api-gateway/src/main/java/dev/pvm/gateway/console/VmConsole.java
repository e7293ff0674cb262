package dev.pvm.gateway.console;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One VM's console: everything the guest printed in its current (or last) run, kept in console.log so that it
 * outlives the engine, and handed live to subscribers. One lock orders file appends and subscriptions, so a new
 * subscriber's snapshot and the live bytes after it neither overlap nor leave a gap.
 */
public final class VmConsole {

    private final Path file;
    private final List<ConsoleSubscriber> subscribers = new ArrayList<>();
    private OutputStream out;

    VmConsole(Path file) {
        this.file = file;
    }

    /** Starts a new run: the log starts empty and subscribers now follow live output. */
    public synchronized void begin() {
        endRun();
        try {
            Files.createDirectories(file.getParent());
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open console log " + file, e);
        }
    }

    /** Appends guest output and hands it to the subscribers. */
    public synchronized void append(byte[] bytes) {
        if (out == null) {
            // Only bytes that arrive after the run was closed (the engine exited and the drain wait passed).
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write console log " + file, e);
        }
        for (ConsoleSubscriber s : List.copyOf(subscribers)) {
            s.onBytes(bytes);
        }
    }

    /** Ends the run: subscribers are told, the log stays readable. */
    public synchronized void end() {
        endRun();
    }

    /** Whether a run is in progress (output may still come). */
    public synchronized boolean live() {
        return out != null;
    }

    /**
     * Hands the subscriber everything printed so far, then (while a run is in progress) every new byte and the
     * end; when no run is in progress it gets the snapshot and the end at once.
     */
    public synchronized void subscribe(ConsoleSubscriber subscriber) {
        byte[] snapshot = read();
        if (snapshot.length > 0) {
            subscriber.onBytes(snapshot);
        }
        if (out == null) {
            subscriber.onEnd();
        } else {
            subscribers.add(subscriber);
        }
    }

    public synchronized void unsubscribe(ConsoleSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Everything printed in the current or last run (empty if the VM never ran). */
    public byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console log " + file, e);
        }
    }

    private void endRun() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close console log " + file, e);
            } finally {
                out = null;
                List<ConsoleSubscriber> ending = List.copyOf(subscribers);
                subscribers.clear();
                ending.forEach(ConsoleSubscriber::onEnd);
            }
        }
    }
}
