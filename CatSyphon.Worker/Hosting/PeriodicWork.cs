namespace CatSyphon.Worker.Hosting;

/// <summary>The loop of a background service that works in rounds on a timer.</summary>
internal static class PeriodicWork
{
    /// <summary>
    /// Runs <paramref name="round"/> at once and then at every <paramref name="interval"/> until the service stops. A
    /// round that fails is reported to <paramref name="failed"/> and tried again at the next tick: one bad round (the
    /// database restarting, say) never ends the service.
    /// </summary>
    public static async Task RepeatAsync(
        TimeSpan interval, Func<CancellationToken, Task> round, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await round(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failed(exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Waits for the timer's next tick; false when the service is stopping.</summary>
    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
