/** The web UI at /: pages, their builders and controllers, and its sign-in and access checks. */
package dev.berth.registry.ui;
