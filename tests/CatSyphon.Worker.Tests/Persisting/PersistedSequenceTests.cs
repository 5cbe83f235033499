namespace CatSyphon.Worker.Tests.Persisting;

/// <summary><c>persisted_sequence</c> never passes a hole: ranges above one wait in <c>sequence_ranges</c> until it is filled.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class PersistedSequenceTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task Ranges_above_a_hole_wait_and_move_persisted_sequence_when_it_is_filled()
    {
        var first = Session.Batch(Session.Event("message", new { content = "one" }), Session.Event("message", new { content = "two" }));
        var hole = Session.Batch(Session.Event("message", new { content = "three" }));
        var above = Session.Batch(Session.Event("message", new { content = "four" }), Session.Event("message", new { content = "five" }));

        var afterFirst = await PersistAsync(first);
        var afterAbove = await PersistAsync(above);

        Assert.Equal(2, Assert.Single(afterFirst.Sessions).PersistedSequence);
        Assert.Equal(2, Assert.Single(afterAbove.Sessions).PersistedSequence);
        Assert.Equal((2L, 5L), await SequencesAsync());
        Assert.Equal([(3L, 5L)], await KeptRangesAsync());

        var afterHole = await PersistAsync(hole);

        Assert.Equal(5, Assert.Single(afterHole.Sessions).PersistedSequence);
        Assert.Equal((5L, 5L), await SequencesAsync());
        Assert.Empty(await KeptRangesAsync());
    }

    [Fact]
    public async Task A_range_of_duplicates_alone_moves_persisted_sequence()
    {
        var events = Session.Batch(Session.Event("message", new { content = "one" }));

        // Sequences 2 and 3 duplicated earlier events: the API accounts for them with a range and no event.
        var duplicates = Session.Batch(1, 3);
        await PersistAsync(events);
        var result = await PersistAsync(duplicates);

        Assert.Equal(0, result.EventsReceived);
        Assert.Equal(3, Assert.Single(result.Sessions).PersistedSequence);
        Assert.Equal((3L, 3L), await SequencesAsync());
    }

    [Fact]
    public async Task Each_commit_counts_in_its_shard_watermark()
    {
        var first = await PersistAsync(Session.Batch(Session.Event("message", new { content = "one" })));
        var second = await PersistAsync(Session.Batch(Session.Event("message", new { content = "two" })));

        Assert.Equal(first.Commit!.Shard, second.Commit!.Shard);
        Assert.Equal(first.Commit.Commits + 1, second.Commit.Commits);
        Assert.Equal(second.Commit.Commits, await Stores.CountAsync("SELECT commits FROM ingest_watermarks WHERE shard = $1", second.Commit.Shard));
    }

    private async Task<(long Persisted, long Last)> SequencesAsync()
    {
        var row = await Stores.RowAsync("SELECT persisted_sequence, last_sequence FROM conversations WHERE session_id = $1", Session.SessionId);
        return ((long)row["persisted_sequence"]!, (long)row["last_sequence"]!);
    }

    private async Task<List<(long After, long Through)>> KeptRangesAsync() =>
        [.. (await Stores.RowsAsync("""
            SELECT r.after_sequence, r.through_sequence FROM sequence_ranges r JOIN conversations c ON c.id = r.conversation_id
            WHERE c.session_id = $1 ORDER BY r.after_sequence
            """, Session.SessionId)).Select(row => ((long)row["after_sequence"]!, (long)row["through_sequence"]!))];
}
