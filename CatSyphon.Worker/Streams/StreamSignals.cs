using System.Collections.Concurrent;

namespace CatSyphon.Worker.Streams;

/// <summary>Wake-up signals for idle stream processors, one per stream.</summary>
public sealed class StreamSignals
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> signals = new(StringComparer.Ordinal);

    public void Signal(string stream)
    {
        var signal = Get(stream);
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Signalled concurrently: one wake-up is enough.
            }
        }
    }

    /// <summary>Waits until the stream is signalled or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(string stream, TimeSpan timeout, CancellationToken cancellationToken) =>
        Get(stream).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim Get(string stream) => signals.GetOrAdd(stream, _ => new SemaphoreSlim(0, 1));
}
