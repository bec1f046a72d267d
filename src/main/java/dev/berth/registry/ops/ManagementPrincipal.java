package dev.berth.registry.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The principal of a request with management access: Boot's actuator reads it through the
 * servlet request ({@code getUserPrincipal}, {@code isUserInRole}) and shows health details to it.
 */
record ManagementPrincipal(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    /** The request, as made by {@code who} with management access (every role). */
    static HttpServletRequest wrap(HttpServletRequest request, String who) {
        ManagementPrincipal principal = new ManagementPrincipal(who);
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return true;
            }
        };
    }
}
