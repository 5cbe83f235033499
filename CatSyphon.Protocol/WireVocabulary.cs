using System.Diagnostics.CodeAnalysis;

namespace CatSyphon.Protocol;

/// <summary>
/// The <c>type</c> of a collector event. Members and order mirror <c>CatSyphon.Data.EventType</c>
/// (this library does not reference CatSyphon.Data); map by wire name (<see cref="EventTypes.ToWire"/>).
/// </summary>
public enum ProtocolEventType
{
    SessionStart,
    Message,
    ToolCall,
    ToolResult,
    Thinking,
    Error,
    Metadata,
    SessionEnd,
}

/// <summary>Wire names of <see cref="ProtocolEventType"/>.</summary>
public static class EventTypes
{
    public const string SessionStart = "session_start";
    public const string Message = "message";
    public const string ToolCall = "tool_call";
    public const string ToolResult = "tool_result";
    public const string Thinking = "thinking";
    public const string Error = "error";
    public const string Metadata = "metadata";
    public const string SessionEnd = "session_end";

    /// <summary>All wire names, indexed by <see cref="ProtocolEventType"/>.</summary>
    public static IReadOnlyList<string> All { get; } =
        [SessionStart, Message, ToolCall, ToolResult, Thinking, Error, Metadata, SessionEnd];

    public static string ToWire(ProtocolEventType type) => (uint)type < (uint)All.Count
        ? All[(int)type]
        : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a defined event type.");

    /// <summary>Exact (case-sensitive) match of a wire name.</summary>
    public static bool TryParse(string? text, out ProtocolEventType type)
    {
        switch (text)
        {
            case SessionStart: type = ProtocolEventType.SessionStart; return true;
            case Message: type = ProtocolEventType.Message; return true;
            case ToolCall: type = ProtocolEventType.ToolCall; return true;
            case ToolResult: type = ProtocolEventType.ToolResult; return true;
            case Thinking: type = ProtocolEventType.Thinking; return true;
            case Error: type = ProtocolEventType.Error; return true;
            case Metadata: type = ProtocolEventType.Metadata; return true;
            case SessionEnd: type = ProtocolEventType.SessionEnd; return true;
            default: type = default; return false;
        }
    }
}

/// <summary>Wire values of <c>data.author_role</c> on message events.</summary>
public static class AuthorRoles
{
    public const string Human = "human";
    public const string Caller = "caller";
    public const string Assistant = "assistant";
    public const string Agent = "agent";
    public const string Tool = "tool";
    public const string System = "system";

    /// <summary>Accepted on the wire and read as <see cref="Human"/>.</summary>
    public const string UserAlias = "user";

    public static IReadOnlyList<string> All { get; } = [Human, Caller, Assistant, Agent, Tool, System];

    /// <summary>
    /// Maps a wire value to its canonical constant (<c>user</c> becomes <c>human</c>); exact, case-sensitive.
    /// The returned string is one of the constants above (no allocation).
    /// </summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? canonical)
    {
        canonical = text switch
        {
            Human or UserAlias => Human,
            Caller => Caller,
            Assistant => Assistant,
            Agent => Agent,
            Tool => Tool,
            System => System,
            _ => null,
        };
        return canonical is not null;
    }
}

/// <summary>Wire values of <c>data.message_type</c> on message events.</summary>
public static class MessageTypes
{
    public const string Prompt = "prompt";
    public const string Response = "response";
    public const string ToolCall = "tool_call";
    public const string ToolResult = "tool_result";
    public const string Plan = "plan";
    public const string Summary = "summary";
    public const string Context = "context";
    public const string Error = "error";

    public static IReadOnlyList<string> All { get; } = [Prompt, Response, ToolCall, ToolResult, Plan, Summary, Context, Error];

    /// <summary>Maps a wire value to its canonical constant; exact, case-sensitive.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? canonical)
    {
        canonical = text switch
        {
            Prompt => Prompt,
            Response => Response,
            ToolCall => ToolCall,
            ToolResult => ToolResult,
            Plan => Plan,
            Summary => Summary,
            Context => Context,
            Error => Error,
            _ => null,
        };
        return canonical is not null;
    }
}

/// <summary>Values of <c>status</c> in session answers.</summary>
public static class SessionStatuses
{
    public const string Active = "active";
    public const string Completed = "completed";
}
