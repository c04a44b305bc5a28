package dev.nimbus.cmdb;

/** The repository contract on the in-memory fake the discovery function's tests use. */
class InMemoryCiRepositoryTest extends CiRepositoryContract {
  private final InMemoryCiRepository repository = new InMemoryCiRepository();

  @Override
  CiRepository repository() {
    return repository;
  }
}
