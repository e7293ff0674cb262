package dev.pvm.gateway.supervise;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, reading only its end (engine logs can be large). */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    public static List<String> of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            if (size < length && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line is cut
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(engine log " + file + " unreadable: " + e.getMessage() + ")");
        }
    }
}
