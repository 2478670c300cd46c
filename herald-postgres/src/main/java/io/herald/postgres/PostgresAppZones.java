package io.herald.postgres;

import io.herald.core.intake.AppZones;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static io.herald.postgres.Sql.ts;

/** Apps' default timezones (table app_zones, V22). */
public final class PostgresAppZones implements AppZones {

    private final JdbcTemplate jdbc;

    public PostgresAppZones(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ZoneId> defaultZone(long appId) {
        return jdbc.query("SELECT default_zone FROM app_zones WHERE app_id = ?", (rs, i) -> ZoneId.of(rs.getString(1)), appId)
                .stream().findFirst();
    }

    @Override
    public void setDefaultZone(long appId, ZoneId zone, Instant now) {
        if (zone == null) {
            jdbc.update("DELETE FROM app_zones WHERE app_id = ?", appId);
            return;
        }
        jdbc.update("""
                INSERT INTO app_zones (app_id, default_zone, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (app_id) DO UPDATE SET default_zone = excluded.default_zone, updated_at = excluded.updated_at""",
                appId, zone.getId(), ts(now));
    }
}
