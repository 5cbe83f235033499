namespace CatSyphon.IntegrationTests;

/// <summary>Waiting for what the stack does asynchronously (the worker persisting, a watcher syncing).</summary>
public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> every 200 ms; fails the test with <paramref name="what"/> when <paramref name="timeout"/> passes first.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < timeout, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
