package dev.berth.registry.metadata;

import java.sql.SQLException;

/** What is wrong with the database, in one line for the operator of an offline command. */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** The first SQLException under {@code e}, said without the URL's settings or secrets. */
    public static String describe(Throwable e, String url) {
        String where = url.replaceFirst("[;?].*$", "");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (sql.getErrorCode() == 90020) { // H2: the database file is locked by another process
                    return "the database " + where + " is in use: stop berth serve first (the embedded H2 database admits one process)";
                }
                if (sql.getErrorCode() == 90146 || sql.getErrorCode() == 90013) { // H2: no such database
                    return "no Berth database at " + where + ": give the data directory (--data-dir) or spring.datasource.url that berth serve uses";
                }
                if (state.equals("42S02") || state.equals("42P01") || sql.getErrorCode() == 42102 || sql.getErrorCode() == 42104) {
                    return "no Berth tables in the database " + where + ": berth serve creates them on its first start";
                }
                return "cannot use the database " + where + ": " + firstLine(sql.getMessage());
            }
        }
        return firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse(message);
    }
}
