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

    /// <summary>
    /// Reads every 200 ms until <paramref name="done"/> holds of what was read or <paramref name="timeout"/> passes;
    /// returns the last value read, for the test's own assertions to judge.
    /// </summary>
    public static async Task<T> LatestAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        var value = await read();
        while (!done(value) && elapsed.Elapsed < timeout)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }

    /// <summary>
    /// <c>/api/stats/tokens</c> of a workspace grouped by <paramref name="groupBy"/>, once its total is
    /// <paramref name="expectedTotal"/> (the worker has caught up) or 30 s have passed.
    /// </summary>
    public static Task<JsonElement> TokenStatsAsync(HttpClient admin, Guid workspace, string groupBy, long expectedTotal) =>
        LatestAsync(
            async () => await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/tokens?workspace_id={workspace}&group_by={groupBy}")),
            stats => stats.GetProperty("totals").GetProperty("total").GetInt64() == expectedTotal,
            TimeSpan.FromSeconds(30));
}
