namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>
/// A test of what the persisters store: a new session of its own (of a new workspace, so no test sees another's rows) and
/// one batch persister for the whole test, as the worker keeps one. xUnit 2 does not inherit <see cref="CollectionAttribute"/>:
/// each derived class carries <c>[Collection(WorkerStoresCollection.Name)]</c> itself.
/// </summary>
public abstract class PersistingTest(WorkerStores stores) : IAsyncLifetime
{
    private TestSession? session;

    protected WorkerStores Stores { get; } = stores;

    internal TestSession Session => session ?? throw new InvalidOperationException("Not initialized.");

    internal BatchPersister Persister { get; } = stores.CreateBatchPersister();

    public virtual async Task InitializeAsync() => session = await Stores.NewSessionAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Persists one set of batches in one transaction, as a lane persists what it read.</summary>
    internal Task<PersistResult> PersistAsync(params BufferedBatch[] batches) => Persister.PersistAsync(batches, CancellationToken.None);

    /// <summary>A stream entry carrying <paramref name="payload"/> as the API writes it.</summary>
    protected static StreamEntry Entry(byte[] payload) => new("1-0", [new NameValueEntry(IngestionRedisKeys.PayloadField, payload)]);
}
