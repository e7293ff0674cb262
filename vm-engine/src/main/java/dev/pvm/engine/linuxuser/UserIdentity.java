package dev.pvm.engine.linuxuser;

/** The user and group ids the guest process runs as: the host process's own. */
public record UserIdentity(int uid, int euid, int gid, int egid) {
}
