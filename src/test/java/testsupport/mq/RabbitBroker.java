package testsupport.mq;

import static testsupport.RequiredService.setting;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import testsupport.RequiredService;

/**
 * The RabbitMQ broker the tests use, from the environment or system properties, like {@code testsupport.db.PostgresServer}:
 * <ul>
 * <li>{@value #HOST_KEY} / {@value #PORT_KEY}: where it listens (default 127.0.0.1:5672), as guest/guest</li>
 * <li>{@value #REQUIRE_KEY}{@code =true} (set by {@code .ci/run}): an unreachable broker fails the RabbitMQ tests
 * instead of skipping them</li>
 * </ul>
 * Each test takes a queue of its own ({@link #newQueue()}), deleted by {@link #deleteQueue}.
 */
public final class RabbitBroker {

    public static final String HOST_KEY = "NUMBER_AUDIT_TEST_RABBITMQ_HOST";
    public static final String PORT_KEY = "NUMBER_AUDIT_TEST_RABBITMQ_PORT";
    public static final String REQUIRE_KEY = "NUMBER_AUDIT_REQUIRE_RABBITMQ";
    private static final RequiredService SERVICE = new RequiredService("RabbitMQ tests", REQUIRE_KEY);

    private static final Map<String, String> UNREACHABLE = new ConcurrentHashMap<>();

    private RabbitBroker() {
    }

    public static String host() {
        return setting(HOST_KEY, "127.0.0.1");
    }

    public static int port() {
        return Integer.parseInt(setting(PORT_KEY, "5672"));
    }

    /** True when {@value #REQUIRE_KEY} is {@code true}: CI, where a skipped RabbitMQ test would hide a gap. */
    public static boolean required() {
        return SERVICE.required();
    }

    /** The arguments that point a run (the jar, or a context in-process) at this broker and {@code queue}. */
    public static List<String> arguments(String queue) {
        return List.of("--spring.rabbitmq.host=" + host(), "--spring.rabbitmq.port=" + port(), "--audit.partition-queue=" + queue);
    }

    /**
     * A fresh queue name, once the broker answers; the calling test is skipped when it does not (a JUnit assumption
     * naming where), or fails when {@link #required()}.
     */
    public static String newQueue() {
        String where = host() + ":" + port();
        String known = UNREACHABLE.get(where);
        if (known != null) {
            return unavailable(known);
        }
        CachingConnectionFactory connections = new CachingConnectionFactory(host(), port());
        connections.setConnectionTimeout(5_000);
        try {
            connections.createConnection().close();
        } catch (RuntimeException e) {
            String reason = "RabbitMQ not reachable at " + where + " (" + e.getMessage() + ")";
            UNREACHABLE.put(where, reason);
            return unavailable(reason);
        } finally {
            connections.destroy();
        }
        return "number-audit-test-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Deletes a test's queue (and whatever messages it still holds). */
    public static void deleteQueue(String queue) {
        CachingConnectionFactory connections = new CachingConnectionFactory(host(), port());
        try {
            new RabbitAdmin(connections).deleteQueue(queue);
        } catch (RuntimeException e) {
            // the broker went away meanwhile: nothing to clean
        } finally {
            connections.destroy();
        }
    }

    private static String unavailable(String reason) {
        return SERVICE.unavailable(reason, "start it, or set " + HOST_KEY + "; ");
    }
}
