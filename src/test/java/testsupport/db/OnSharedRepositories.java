package testsupport.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test that runs once on each repository several processes can share: H2 in server mode and
 * PostgreSQL, each invocation named {@code [H2 server]} or {@code [PostgreSQL]}. The method takes a
 * {@link RepositoryDatabase} and opens its repository with {@link RepositoryDatabase#scratch}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "[{0}]")
@EnumSource(value = RepositoryDatabase.class, names = {"H2_SERVER", "POSTGRESQL"})
public @interface OnSharedRepositories {
}
