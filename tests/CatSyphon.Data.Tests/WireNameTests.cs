using CatSyphon.Contracts;

namespace CatSyphon.Data.Tests;

public class WireNameTests
{
    [Fact]
    public void Names_are_snake_case_of_members()
    {
        Assert.Equal("session_start", WireName.Of(EventType.SessionStart));
        Assert.Equal("tool_result", WireName.Of(MessageType.ToolResult));
        Assert.Equal("token", WireName.Of(CollectorRegistration.Token));
        Assert.Equal(["active", "completed"], WireName.All<ConversationStatus>());
    }

    [Fact]
    public void Parse_is_exact()
    {
        Assert.True(WireName.TryParse<AuthorRole>("assistant", out var role));
        Assert.Equal(AuthorRole.Assistant, role);
        Assert.False(WireName.TryParse<AuthorRole>("Assistant", out _));
        Assert.False(WireName.TryParse<AuthorRole>("1", out _));
        Assert.False(WireName.TryParse<AuthorRole>(null, out _));
        Assert.Throws<FormatException>(() => WireName.Parse<EventType>("bogus"));
    }

    [Fact]
    public void Undefined_values_have_no_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireName.Of((EventType)99));
    }
}
