package io.dpg.observability.jdbc.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finding the external tools a test runs (Prometheus and friends) and a free loopback port for them. */
public final class Tools {

    private Tools() {
    }

    /**
     * The absolute path of {@code binary} on PATH; fails the test with {@code installHint} (never skips it) when
     * the tool is missing.
     */
    public static String requireBinary(String binary, String installHint) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Paths.get(dir, binary);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new AssertionError("`" + binary + "` is not installed: " + installHint);
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
