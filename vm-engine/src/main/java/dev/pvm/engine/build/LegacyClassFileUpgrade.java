package dev.pvm.engine.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A packaging step (vm-engine's pom runs it on {@code target/lib}): rewrites the class files of a library jar
 * that are older than Java 6 (class file version 50) as version 52 with computed stack maps, in place.
 *
 * <p>Why: the JDK's AOT cache, which {@code ./pvm user} and {@code ./pvm boot} start from, leaves out classes
 * older than version 50 (they use the old inferencing verifier, JDK-8317269) and every class whose
 * verification loads one. ASM and picocli ship as version 49, so without this the translator's emitters and their
 * lambdas, and the command-line parser, were loaded, verified and their lambdas spun on every start (about 0.2 s
 * of CPU). The bytecode is otherwise unchanged: only the version and the StackMapTable attributes differ.
 *
 * <p>A jar with no such class is left untouched (its time stamp too, which the AOT cache's key includes), so
 * running the step again changes nothing.
 */
public final class LegacyClassFileUpgrade {

    /** Java 6, the first class file version the type-checking verifier (and so the AOT cache) accepts. */
    private static final int FIRST_VERIFIABLE_VERSION = 50;

    private LegacyClassFileUpgrade() {
    }

    /** @param args the jars to upgrade in place */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: LegacyClassFileUpgrade JAR...");
            System.exit(2);
        }
        for (String arg : args) {
            int n = upgrade(Path.of(arg));
            System.out.println(n == 0 ? arg + ": no class file older than version " + FIRST_VERIFIABLE_VERSION
                    : arg + ": " + n + " class files raised to version " + Opcodes.V1_8);
        }
    }

    /** Upgrades {@code jar} in place; returns how many class files changed (0: the file was not written). */
    public static int upgrade(Path jar) throws IOException {
        List<JarEntry> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        int changed = 0;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < FIRST_VERIFIABLE_VERSION) {
                    bytes = raise(bytes);
                    changed++;
                }
                entries.add(entry);
                contents.add(bytes);
            }
        }
        if (changed == 0) {
            return 0;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file)) {
            for (int i = 0; i < entries.size(); i++) {
                JarEntry copy = new JarEntry(entries.get(i).getName());
                copy.setTime(entries.get(i).getTime());
                out.putNextEntry(copy);
                out.write(contents.get(i));
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return changed;
    }

    /** The class file's major version (bytes 6-7, big-endian). */
    static int majorVersion(byte[] classFile) {
        return (classFile[6] & 0xFF) << 8 | classFile[7] & 0xFF;
    }

    /** One class file as version 52, with the stack maps that version requires. */
    static byte[] raise(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // COMPUTE_FRAMES finds common superclasses by loading classes: this step's class path holds the library.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
