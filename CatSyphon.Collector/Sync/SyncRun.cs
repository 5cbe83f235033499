using CatSyphon.Collector.Configuration;

namespace CatSyphon.Collector.Sync;

/// <summary>
/// What <c>push</c> and <c>watch</c> work with: the credentials in force, the saved sync state and a syncer that
/// moves it on, for one run.
/// </summary>
internal sealed class SyncRun : IDisposable
{
    private SyncRun(Credentials credentials, SyncStateStore store, SyncState state)
    {
        Credentials = credentials;
        Store = store;
        State = state;
        Server = ServerClient.Create(credentials);
        Syncer = new LogSyncer(Server, state, Progress, new SyncOptions());
    }

    public Credentials Credentials { get; }

    public SyncStateStore Store { get; }

    public SyncState State { get; }

    public SyncProgress Progress { get; } = new();

    public ServerClient Server { get; }

    public LogSyncer Syncer { get; }

    /// <summary>Loads the credentials (a clear error without any) and the sync state of <paramref name="home"/>.</summary>
    public static async Task<SyncRun> StartAsync(CollectorHome home, CancellationToken cancellationToken)
    {
        var credentials = await new CredentialStore(home).LoadRequiredAsync(cancellationToken);
        var store = new SyncStateStore(home);
        return new SyncRun(credentials, store, await store.LoadAsync(cancellationToken));
    }

    /// <summary>Saves what the server acknowledged so far (by default even when the run is being cancelled).</summary>
    public Task SaveAsync(CancellationToken cancellationToken = default) => Store.SaveAsync(State, cancellationToken);

    public void Dispose() => Server.Dispose();
}
