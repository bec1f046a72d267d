package dev.berth.registry.metadata;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactory;
import org.springframework.data.repository.core.support.PersistenceExceptionTranslationRepositoryProxyPostProcessor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * The metadata package's beans built by hand, as the server wires them: the embedded H2 file
 * database under {@code <dataDir>/db}, migrated by Flyway, Hibernate validating the entities
 * against it, and one JPA transaction manager that the plain-SQL records join. For slice tests of
 * the services above metadata, without a Spring context. Closing it closes the database, so a
 * second one opened on the same directory is a restart.
 */
public final class MetadataBeans implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final EntityManagerFactory entityManagers;
    private final JpaTransactionManager transactionManager;
    private final JdbcTemplate jdbc;
    private final JpaRepositoryFactory jpaRepositories;

    private MetadataBeans(Path dataDir) {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db/berth") + ";WRITE_DELAY=0");
        dataSource.setUsername("berth");
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(4);
        try {
            Flyway.configure().dataSource(dataSource)
                    .locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
            LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
            factory.setDataSource(dataSource);
            factory.setPackagesToScan(MetadataBeans.class.getPackageName());
            factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
            factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "validate"));
            factory.afterPropertiesSet();
            entityManagers = factory.getObject();
            transactionManager = new JpaTransactionManager(entityManagers);
            transactionManager.setDataSource(dataSource);
            transactionManager.afterPropertiesSet();
            jdbc = new JdbcTemplate(dataSource);
            jpaRepositories = new JpaRepositoryFactory(SharedEntityManagerCreator.createSharedEntityManager(entityManagers));
            // What Spring Data's factory bean adds in the server: JPA errors as Spring's, and the @Transactional of SimpleJpaRepository.
            StaticListableBeanFactory translators = new StaticListableBeanFactory();
            translators.addBean("entityManagerFactory", factory);
            jpaRepositories.addRepositoryProxyPostProcessor(new PersistenceExceptionTranslationRepositoryProxyPostProcessor(translators));
            jpaRepositories.addRepositoryProxyPostProcessor((proxy, repository) ->
                    proxy.addAdvice(new TransactionInterceptor(transactionManager, new AnnotationTransactionAttributeSource())));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Opens the database of {@code dataDir}, creating and migrating it the first time. */
    public static MetadataBeans open(Path dataDir) {
        return new MetadataBeans(dataDir);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public NamedParameterJdbcTemplate namedJdbc() {
        return new NamedParameterJdbcTemplate(jdbc);
    }

    public StatsRows statsRows() {
        return new StatsRows(jdbc);
    }

    public QuotaRows quotaRows() {
        return new QuotaRows(jdbc);
    }

    public CatalogRows catalogRows() {
        return new CatalogRows(jdbc);
    }

    public BlobRecords blobRecords() {
        return new BlobRecords(jdbc);
    }

    public ManifestRecords manifestRecords() {
        return new ManifestRecords(jdbc);
    }

    public GcReviews gcReviews() {
        return new GcReviews(jdbc);
    }

    public GcRows gcRows() {
        return new GcRows(jdbc);
    }

    public ImmutableTagRuleRows immutableTagRuleRows() {
        return new ImmutableTagRuleRows(jdbc);
    }

    public TagHolders tagHolders() {
        return new TagHolders(jdbc);
    }

    public Transactions transactions() {
        return new Transactions(transactionManager);
    }

    public Repositories repositories() {
        return jpaRepositories.getRepository(Repositories.class);
    }

    public Blobs blobs() {
        return jpaRepositories.getRepository(Blobs.class);
    }

    public BlobLinks blobLinks() {
        return jpaRepositories.getRepository(BlobLinks.class);
    }

    public UploadSessions uploadSessions() {
        return jpaRepositories.getRepository(UploadSessions.class);
    }

    /** How many rows of {@code table} match {@code where} (SQL, with {@code ?} for {@code args}). */
    public int count(String table, String where, Object... args) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + where, Integer.class, args);
        return n == null ? 0 : n;
    }

    @Override
    public void close() {
        entityManagers.close();
        dataSource.close();
    }
}
