package dev.berth.cli;

import picocli.CommandLine;

/** Reads the version from the jar's manifest, so it always matches the build. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"berth " + (version == null ? "(development build)" : version)};
    }
}
