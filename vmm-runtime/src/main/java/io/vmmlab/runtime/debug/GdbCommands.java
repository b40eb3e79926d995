package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Answers GDB's packets for a held machine (GDB manual, "Packets" and "General Query Packets"): registers ({@code g},
 * {@code G}, {@code p}, {@code P}), memory by the hart's virtual addresses ({@code m}, {@code M}), breakpoints
 * ({@code Z0}/{@code Z1}) and watchpoints ({@code Z2} to {@code Z4}), threads (harts: {@code H}, {@code T},
 * {@code qfThreadInfo}), the target description, {@code monitor} commands ({@link MonitorCommands}), and the run
 * ({@code c}, {@code s}, {@code ?}, {@code D}, {@code k}). A packet it does not know
 * gets the empty reply, which tells GDB so; a bad one gets {@code E} and a number.
 */
final class GdbCommands {
    /** What {@link #handle} returns for c and s: the reply is the stop, once the run holds again. */
    static final String RESUMED = "\u0000resumed";
    /** What {@link #handle} returns after D and k: reply, then close the connection. */
    static final String DETACHED = "\u0000detached";

    private static final HexFormat HEX = HexFormat.of();
    /** The most bytes an m reply or M request carries: within the packet size offered (0x4000 characters). */
    private static final int MAX_MEMORY = 0x1fe0;
    private static final int MAX_WATCH = 8;

    private final DebugSession session;
    private final VirtMachine machine;
    private final Hypervisor hypervisor;
    private final GuestAddressSpace memory;
    private final MonitorCommands monitor;
    private final GdbRegisters registerFile;
    private final String targetXml;
    private int registerHart;
    private int runHart;
    private boolean runAlone;

    GdbCommands(DebugSession session, VirtMachine machine, Hypervisor hypervisor) {
        this.session = session;
        this.machine = machine;
        this.hypervisor = hypervisor;
        this.memory = new GuestAddressSpace(machine.memory(), hypervisor);
        this.monitor = new MonitorCommands(machine, hypervisor);
        TargetDescription target = TargetDescription.of(machine.harts().get(0));
        this.registerFile = new GdbRegisters(target, hypervisor);
        this.targetXml = target.xml();
        this.registerHart = machine.harts().get(0).hartId();
        this.runHart = registerHart;
    }

    /**
     * Answers one packet.
     *
     * @param packet the payload
     * @return the reply's payload, {@link #RESUMED} or {@link #DETACHED}
     */
    String handle(String packet) {
        if (packet.isEmpty()) {
            return "";
        }
        try {
            return answer(packet.charAt(0), packet.substring(1));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) { // a malformed number or field
            return "E01";
        }
    }

    private String answer(char command, String rest) {
        return switch (command) {
            case 'g' -> registers();
            case 'G' -> writeRegisters(rest);
            case 'p' -> register(Integer.parseInt(rest, 16));
            case 'P' -> writeRegister(rest);
            case 'm' -> readMemory(rest);
            case 'M' -> writeMemory(rest);
            case 'Z', 'z' -> breakpoint(command == 'Z', rest);
            case 'c', 'C' -> { // C: with a signal, which a bare machine has no use for
                if (command == 'c' ? !rest.isEmpty() : rest.contains(";")) {
                    yield "E02"; // continuing at another address: set pc first
                }
                session.resume(runAlone ? runHart : -1);
                yield RESUMED;
            }
            case 's', 'S' -> {
                if (command == 's' ? !rest.isEmpty() : rest.contains(";")) {
                    yield "E02";
                }
                session.step(runAlone ? runHart : registerHart, runAlone);
                yield RESUMED;
            }
            case 'H' -> selectThread(rest);
            case 'T' -> hart(threadId(rest)).isPresent() ? "OK" : "E03";
            case 'q' -> query(rest);
            case 'D' -> {
                session.detach();
                yield DETACHED;
            }
            case 'k' -> {
                session.kill();
                yield DETACHED;
            }
            default -> "";
        };
    }

    private String registers() {
        Hart hart = hart(registerHart).orElseThrow();
        StringBuilder reply = new StringBuilder(TargetDescription.GENERAL * 16);
        for (int number = 0; number < TargetDescription.GENERAL; number++) {
            reply.append(registerFile.read(hart, number));
        }
        return reply.toString();
    }

    private String writeRegisters(String values) {
        if (values.length() < TargetDescription.GENERAL * 16) {
            return "E01";
        }
        Hart hart = hart(registerHart).orElseThrow();
        for (int number = 1; number < TargetDescription.GENERAL; number++) {
            if (!registerFile.write(hart, number, values.substring(number * 16, number * 16 + 16))) {
                return "E04";
            }
        }
        return "OK";
    }

    private String register(int number) {
        return registerFile.exists(number) ? registerFile.read(hart(registerHart).orElseThrow(), number) : "E05";
    }

    private String writeRegister(String assignment) {
        int equals = assignment.indexOf('=');
        int number = Integer.parseInt(assignment.substring(0, equals), 16);
        if (!registerFile.exists(number)) {
            return "E05";
        }
        return registerFile.write(hart(registerHart).orElseThrow(), number, assignment.substring(equals + 1))
                ? "OK" : "E04";
    }

    /** m: at most {@value #MAX_MEMORY} bytes, fewer when a later page is not mapped (a short read, as GDB allows). */
    private String readMemory(String range) {
        int comma = range.indexOf(',');
        long address = Long.parseUnsignedLong(range.substring(0, comma), 16);
        int length = Integer.parseInt(range.substring(comma + 1), 16);
        if (length < 0) {
            return "E06";
        }
        byte[] bytes = memory.readPrefix(hart(registerHart).orElseThrow(), address, Math.min(length, MAX_MEMORY));
        return bytes.length == 0 && length > 0 ? "E14" : HEX.formatHex(bytes);
    }

    private String writeMemory(String request) {
        int comma = request.indexOf(',');
        int colon = request.indexOf(':');
        long address = Long.parseUnsignedLong(request.substring(0, comma), 16);
        int length = Integer.parseInt(request.substring(comma + 1, colon), 16);
        byte[] bytes = HEX.parseHex(request.substring(colon + 1));
        if (bytes.length != length || length > MAX_MEMORY) {
            return "E06";
        }
        return memory.write(hart(registerHart).orElseThrow(), address, bytes) ? "OK" : "E14";
    }

    /**
     * Z0/Z1 (software and hardware breakpoints alike: both are the loop's own checks) and Z2/Z3/Z4 (write, read and
     * access watchpoints, up to {@value #MAX_WATCH} bytes).
     */
    private String breakpoint(boolean insert, String request) {
        String[] fields = request.split(",");
        if (fields.length < 3 || fields[0].length() != 1 || fields[0].charAt(0) < '0' || fields[0].charAt(0) > '4') {
            return "";
        }
        int type = fields[0].charAt(0) - '0';
        long address = Long.parseUnsignedLong(fields[1], 16);
        if (type >= 2) {
            int length = Integer.parseInt(fields[2], 16);
            if (length < 1 || length > MAX_WATCH) {
                return "E06";
            }
            Watchpoint watch = new Watchpoint(Watchpoint.Kind.values()[type - 2], address, length);
            if (insert) {
                session.addWatch(watch);
            } else {
                session.removeWatch(watch);
            }
        } else if (insert) {
            session.addBreakpoint(address, type == 1);
        } else {
            session.removeBreakpoint(address, type == 1);
        }
        return "OK";
    }

    /**
     * GDB takes the thread a stop names as the one it looks at and resumes (as gdbserver and QEMU do).
     *
     * @param hartId the hart that stopped
     */
    void selectStopped(int hartId) {
        registerHart = hartId;
        runHart = hartId;
        runAlone = false;
    }

    private String selectThread(String request) {
        int id = threadId(request.substring(1));
        if (id >= 0 && hart(id).isEmpty()) {
            return "E03";
        }
        if (request.charAt(0) == 'g') {
            registerHart = id >= 0 ? id : registerHart; // 0 (any) and -1 (all) keep the current one
        } else {
            runAlone = id >= 0; // a c or s then runs that hart alone; with 0 or -1, every hart
            runHart = id >= 0 ? id : runHart;
        }
        return "OK";
    }

    /** A GDB thread id as a hart id: -1 for "any" (0) and "all" (-1). */
    private static int threadId(String text) {
        long id = text.equals("-1") ? -1 : Long.parseLong(text, 16);
        return id <= 0 ? -1 : (int) (id - 1);
    }

    private String query(String query) {
        if (query.startsWith("Supported")) {
            return "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+";
        }
        if (query.startsWith("Xfer:features:read:target.xml:")) {
            String[] window = query.substring("Xfer:features:read:target.xml:".length()).split(",");
            int offset = Integer.parseInt(window[0], 16);
            int length = Integer.parseInt(window[1], 16);
            if (offset >= targetXml.length()) {
                return "l";
            }
            int end = Math.min(targetXml.length(), offset + length);
            return (end == targetXml.length() ? "l" : "m") + targetXml.substring(offset, end);
        }
        if (query.equals("fThreadInfo")) {
            StringBuilder reply = new StringBuilder("m");
            List<Hart> harts = machine.harts();
            for (int i = 0; i < harts.size(); i++) {
                reply.append(i == 0 ? "" : ",").append(Integer.toHexString(StopReply.threadId(harts.get(i).hartId())));
            }
            return reply.toString();
        }
        if (query.equals("sThreadInfo")) {
            return "l";
        }
        if (query.equals("C")) {
            return "QC" + Integer.toHexString(StopReply.threadId(registerHart));
        }
        if (query.startsWith("Rcmd,")) {
            String command = new String(HEX.parseHex(query.substring("Rcmd,".length())), StandardCharsets.UTF_8);
            return HEX.formatHex(monitor.answer(command).getBytes(StandardCharsets.UTF_8));
        }
        if (query.equals("Attached")) {
            return "1";
        }
        if (query.startsWith("Symbol")) {
            return "OK";
        }
        return "";
    }

    private Optional<Hart> hart(int hartId) {
        return machine.harts().stream().filter(hart -> hart.hartId() == hartId).findFirst();
    }
}
