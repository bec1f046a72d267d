/** The server: the Spring Boot application and its berth.* settings. */
package dev.berth.registry;
