namespace CatSyphon.IntegrationTests.Scale;

/// <summary>
/// A collector that sends as the real one does when a server goes away: a batch that meets a connection error, a time-out,
/// a 5xx or a 429 is sent again, with the same sequences, to the next replica, and so on until one accepts it. It never
/// gives up on a batch; the server's sequence numbers make the repeats harmless.
/// </summary>
public sealed class FailoverCollector : IDisposable
{
    public const int BatchSize = 50;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<CollectorClient> replicas;
    private int batchesSentAgain;
    private int batchesAccepted;

    public FailoverCollector(CollectorClient collector, IEnumerable<Uri> replicaAddresses)
    {
        replicas = [.. replicaAddresses.Select(collector.At)];
        foreach (var replica in replicas)
        {
            replica.Http.Timeout = RequestTimeout;
        }
    }

    /// <summary>How many times a batch had to be sent again.</summary>
    public int BatchesSentAgain => Volatile.Read(ref batchesSentAgain);

    /// <summary>How many batches a replica has accepted.</summary>
    public int BatchesAccepted => Volatile.Read(ref batchesAccepted);

    /// <summary>
    /// Sends events <paramref name="from"/>..<paramref name="through"/> of a session in batches, starting with replica
    /// <paramref name="replica"/>; returns the replica that accepted the last batch, where the session carries on.
    /// </summary>
    public async Task<int> SendAsync(string session, int from, int through, int replica)
    {
        for (var first = from; first <= through; first += BatchSize)
        {
            var batch = CollectorClient.Messages(first, Math.Min(BatchSize, through - first + 1), sequenced: true).ToArray();
            replica = await SendBatchAsync(session, batch, replica);
        }

        return replica;
    }

    /// <summary>Sends one batch until a replica accepts it; returns that replica, which the session keeps using.</summary>
    private async Task<int> SendBatchAsync(string session, object[] batch, int replica)
    {
        while (true)
        {
            var wait = RetryDelay;
            try
            {
                using var answer = await replicas[replica].SendAsync(session, batch);
                if (answer.StatusCode == HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref batchesAccepted);
                    return replica;
                }

                if ((int)answer.StatusCode < 500 && answer.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    throw new InvalidOperationException(
                        $"{session}: a batch was refused for good: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                }

                wait = answer.Headers.RetryAfter?.Delta ?? wait;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // The replica went away mid-request, or never answered: whether it took the batch is unknown.
            }

            Interlocked.Increment(ref batchesSentAgain);
            replica = (replica + 1) % replicas.Count;
            await Task.Delay(wait);
        }
    }

    public void Dispose()
    {
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }
    }
}
