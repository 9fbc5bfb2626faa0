"""What the Python bench scripts share."""

from __future__ import annotations


def peak_resident_kib() -> int:
    """VmHWM of /proc/self/status in KiB, or -1 where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1
