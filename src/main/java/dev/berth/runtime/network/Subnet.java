package dev.berth.runtime.network;

/**
 * An IPv4 subnet in CIDR notation ({@code 10.77.0.0/16}): its gateway is the first host address
 * (the bridge's), containers get the ones after it, up to the last before the broadcast address.
 */
public record Subnet(int network, int prefix) {

    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("invalid subnet: the prefix must be between /8 and /30, not /" + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("invalid subnet " + format(network) + "/" + prefix + ": host bits are set");
        }
    }

    /** {@code A.B.C.D/N}; a one-line reason when it is not one. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": expected A.B.C.D/N");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": expected A.B.C.D/N");
        }
        return new Subnet(address(cidr.substring(0, slash)), prefix);
    }

    /** The subnet a route's {@code A.B.C.D/N} lies in (host bits dropped; /31 and /32 taken as /30). */
    static Subnet covering(String cidr) {
        int slash = cidr.indexOf('/');
        int prefix = Math.max(8, Math.min(30, Integer.parseInt(cidr.substring(slash + 1))));
        return new Subnet(address(cidr.substring(0, slash)) & mask(prefix), prefix);
    }

    /** A dotted IPv4 address as an int; a one-line reason when it is not one. */
    public static int address(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("invalid IPv4 address " + dotted);
            }
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public String gateway() {
        return format(network + 1);
    }

    /** The n-th address a container may have (0: the one after the gateway); empty past the last. */
    public java.util.Optional<String> host(int n) {
        long address = (network & 0xffffffffL) + 2 + n;
        long broadcast = (network & 0xffffffffL) + (1L << (32 - prefix)) - 1;
        return n < 0 || address >= broadcast ? java.util.Optional.empty() : java.util.Optional.of(format((int) address));
    }

    public boolean overlaps(Subnet other) {
        int common = mask(Math.min(prefix, other.prefix));
        return (network & common) == (other.network & common);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
