using CatSyphon.Data;
using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Tests;

public class TokenBoundTests
{
    /// <summary>
    /// token_usages' CHECK constraints hold what the API lets in: a lower database bound would fail the worker's
    /// sets on counts the API answered 202 for.
    /// </summary>
    [Fact]
    public void The_database_bound_on_token_counts_is_the_protocols() =>
        Assert.Equal(ProtocolLimits.MaxTokenCount, ColumnLimits.MaxTokenCount);
}
