package dev.pvm.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class LegacyClassFileUpgradeTest implements Opcodes {

    /** A Java 5 class {@code Legacy} with {@code static int clamp(int)}: a branch and a loop, so frames matter. */
    private static byte[] java5Class() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_5, ACC_PUBLIC | ACC_SUPER, "Legacy", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "clamp", "(I)I", null, null);
        mv.visitCode();
        Label loop = new Label();
        Label done = new Label();
        mv.visitLabel(loop);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitIntInsn(BIPUSH, 100);
        mv.visitJumpInsn(IF_ICMPLE, done);
        mv.visitIincInsn(0, -100);
        mv.visitJumpInsn(GOTO, loop);
        mv.visitLabel(done);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void writeJar(Path jar, byte[] legacy) throws Exception {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("Legacy.class"));
            out.write(legacy);
            out.closeEntry();
            out.putNextEntry(new JarEntry("notes.txt"));
            out.write("kept as is".getBytes());
            out.closeEntry();
        }
    }

    @Test
    void raisesJava5ClassesToVersion52ThatStillVerifyAndRun(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib.jar");
        writeJar(jar, java5Class());

        assertThat(LegacyClassFileUpgrade.upgrade(jar)).isEqualTo(1);

        try (JarFile upgraded = new JarFile(jar.toFile())) {
            byte[] cls = upgraded.getInputStream(upgraded.getEntry("Legacy.class")).readAllBytes();
            assertThat(LegacyClassFileUpgrade.majorVersion(cls)).isEqualTo(52);
            assertThat(new String(upgraded.getInputStream(upgraded.getEntry("notes.txt")).readAllBytes()))
                    .isEqualTo("kept as is");
        }
        // A class loader of its own: the JVM verifies the class with the type-checking verifier, stack maps and all.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Class<?> legacy = Class.forName("Legacy", true, loader);
            assertThat(legacy.getMethod("clamp", int.class).invoke(null, 1234)).isEqualTo(34);
        }
    }

    @Test
    void leavesAJarWithoutLegacyClassesUntouched(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib.jar");
        writeJar(jar, java5Class());
        LegacyClassFileUpgrade.upgrade(jar);
        FileTime before = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(jar, before);

        assertThat(LegacyClassFileUpgrade.upgrade(jar)).isZero();
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(before);
    }
}
