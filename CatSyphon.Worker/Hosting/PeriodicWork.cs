namespace CatSyphon.Worker.Hosting;

/// <summary>The wait between the rounds of a background service that works on a timer.</summary>
internal static class PeriodicWork
{
    /// <summary>Waits for the timer's next tick; false when the service is stopping.</summary>
    public static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
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
