/** Access control: accounts, robots, access tokens, namespaces and roles, the audit log, and Docker token auth. */
package dev.berth.registry.auth;
