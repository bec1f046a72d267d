package dev.berth.cli;

import dev.berth.runtime.container.Containers.Container;
import dev.berth.runtime.network.NetworkAttachment;
import dev.berth.runtime.network.PortMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code inspect}'s network keys, docker's names: {@code HostConfig.NetworkMode} and
 * {@code PortBindings} (what was asked), {@code NetworkSettings.Ports}, {@code IPAddress} and
 * {@code Networks.NAME.IPAddress} (what it has while it runs; empty otherwise, as in docker).
 */
final class InspectNetwork {

    private InspectNetwork() {
    }

    static void add(ObjectNode hostConfig, ObjectNode settings, Container c) {
        Optional<NetworkAttachment> attachment;
        try {
            attachment = NetworkAttachment.in(c.dir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode bindings = hostConfig.putObject("PortBindings");
        ObjectNode ports = settings.putObject("Ports");
        if (attachment.isEmpty()) {
            return;
        }
        NetworkAttachment a = attachment.get();
        hostConfig.put("NetworkMode", a.network());
        boolean running = c.running() && !a.address().isEmpty();
        for (PortMapping p : a.ports()) {
            ObjectNode binding = bindings.withArray(p.containerKey()).addObject();
            binding.put("HostIp", p.hostIp().equals("0.0.0.0") ? "" : p.hostIp()).put("HostPort", Integer.toString(p.hostPort()));
            if (running) {
                ports.withArray(p.containerKey()).addObject().put("HostIp", p.hostIp()).put("HostPort", Integer.toString(p.hostPort()));
            }
        }
        String address = running ? a.address() : "";
        settings.put("IPAddress", address);
        settings.putObject("Networks").putObject(a.network()).put("IPAddress", address);
    }
}
