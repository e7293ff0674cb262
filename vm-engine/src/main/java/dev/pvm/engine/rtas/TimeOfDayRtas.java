package dev.pvm.engine.rtas;

import java.time.Clock;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RTAS {@code get-time-of-day} and {@code set-time-of-day} (LoPAPR 7.3.2): the guest's real-time clock, in UTC.
 * Setting it keeps an offset from the host clock, as QEMU's RTC does; the offset survives a guest reboot.
 */
public final class TimeOfDayRtas {

    private final Clock clock;
    private volatile Duration offset = Duration.ZERO;

    private TimeOfDayRtas(Clock clock) {
        this.clock = clock;
    }

    public static TimeOfDayRtas register(RtasTable table, Clock clock) {
        TimeOfDayRtas rtc = new TimeOfDayRtas(clock);
        table.register(RtasService.GET_TIME_OF_DAY, rtc::get);
        table.register(RtasService.SET_TIME_OF_DAY, rtc::set);
        return rtc;
    }

    /** The guest's current time. */
    public LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).plus(offset);
    }

    /** get-time-of-day() -> status, year, month, day, hour, minute, second, nanoseconds. */
    private void get(RtasCall call) {
        if (call.nargs() != 0 || call.nret() != 8) {
            call.status(RtasStatus.PARAMETER_ERROR);
            return;
        }
        LocalDateTime t = now();
        call.status(RtasStatus.SUCCESS);
        call.ret(1, t.getYear());
        call.ret(2, t.getMonthValue());
        call.ret(3, t.getDayOfMonth());
        call.ret(4, t.getHour());
        call.ret(5, t.getMinute());
        call.ret(6, t.getSecond());
        call.ret(7, t.getNano());
    }

    /** set-time-of-day(year, month, day, hour, minute, second, nanoseconds) -> status. */
    private void set(RtasCall call) {
        if (call.nargs() != 7 || call.nret() != 1) {
            call.status(RtasStatus.PARAMETER_ERROR);
            return;
        }
        try {
            LocalDateTime wanted = LocalDateTime.of(call.arg(0), call.arg(1), call.arg(2), call.arg(3), call.arg(4),
                    call.arg(5), call.arg(6));
            offset = Duration.between(LocalDateTime.now(clock.withZone(ZoneOffset.UTC)), wanted);
            call.status(RtasStatus.SUCCESS);
        } catch (DateTimeException e) {
            call.status(RtasStatus.PARAMETER_ERROR);
        }
    }
}
