/** The registry client on java.net.http: authentication, redirects, error mapping and one class per /v2 endpoint it calls. */
package dev.berth.client;
