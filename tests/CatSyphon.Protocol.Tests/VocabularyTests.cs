namespace CatSyphon.Protocol.Tests;

/// <summary>
/// The vocabulary's wire names are the collector protocol and the text stored in the database: these lists pin them,
/// so renaming or reordering a member fails here before it changes either.
/// </summary>
public class VocabularyTests
{
    [Fact]
    public void Event_types_have_the_protocol_names()
    {
        Assert.Equal(
            ["session_start", "message", "tool_call", "tool_result", "thinking", "error", "metadata", "session_end"],
            WireName.All<EventType>());
    }

    [Fact]
    public void Author_roles_have_the_protocol_names()
    {
        Assert.Equal(["human", "caller", "assistant", "agent", "tool", "system"], WireName.All<AuthorRole>());
    }

    [Fact]
    public void Message_types_have_the_protocol_names()
    {
        Assert.Equal(["prompt", "response", "tool_call", "tool_result", "plan", "summary", "context", "error"], WireName.All<MessageType>());
    }

    [Fact]
    public void Every_member_round_trips_through_its_wire_name()
    {
        AssertRoundTrips<EventType>();
        AssertRoundTrips<AuthorRole>();
        AssertRoundTrips<MessageType>();
        Assert.All(Enum.GetValues<AuthorRole>(), role =>
        {
            Assert.True(AuthorRoles.TryParse(WireName.Of(role), out var parsed));
            Assert.Equal(role, parsed);
        });
    }

    [Fact]
    public void User_is_read_as_human_only_as_an_author_role()
    {
        Assert.True(AuthorRoles.TryParse("user", out var role));
        Assert.Equal(AuthorRole.Human, role);
        Assert.False(WireName.TryParse<AuthorRole>("user", out _));
        Assert.Equal("human", WireName.Of(role.Value));
    }

    [Theory]
    [InlineData("User")]
    [InlineData("HUMAN")]
    [InlineData(" human")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0")]
    public void Author_roles_are_read_exactly(string? text)
    {
        Assert.False(AuthorRoles.TryParse(text, out var role));
        Assert.Null(role);
    }

    [Fact]
    public void Counted_token_fields_are_the_usage_fields_the_parsers_write()
    {
        Assert.Equal(
            [
                "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                "cache_creation_1h_input_tokens", "cache_creation_tokens", "cache_read_tokens", "reasoning_output_tokens",
            ],
            ProtocolLimits.TokenUsageFields);
    }

    private static void AssertRoundTrips<TEnum>() where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        Assert.All(values, value =>
        {
            var name = WireName.Of(value);
            Assert.Matches("^[a-z]+(_[a-z]+)*$", name);
            Assert.True(WireName.TryParse<TEnum>(name, out var parsed));
            Assert.Equal(value, parsed);
        });
        Assert.Equal(values.Length, WireName.All<TEnum>().Distinct().Count());
    }
}
