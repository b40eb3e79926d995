# Sourced by scripts that boot Linux on Debian's OpenSBI: installs the opensbi package when it is missing (as root),
# or stops the calling script with exit 2 and a one-line reason. $1: the calling script's name, for that line.
if [ ! -d /usr/lib/riscv64-linux-gnu/opensbi/generic ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "$1: needs Debian's opensbi package: sudo apt-get install opensbi" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq opensbi
fi
