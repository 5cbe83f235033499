using System.Diagnostics.CodeAnalysis;

namespace CatSyphon.Protocol;

// The event vocabulary of the collector protocol, the database and the API. Each member goes on the wire, into its
// text column and into API answers as its wire name (see WireName: SessionStart is "session_start"), so renaming a
// member changes the protocol and the stored data.

/// <summary>The <c>type</c> of a collector event.</summary>
public enum EventType
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

/// <summary>The <c>author_role</c> of a message event (read with <see cref="AuthorRoles.TryParse"/>: <c>user</c> is <see cref="Human"/>).</summary>
public enum AuthorRole
{
    Human,
    Caller,
    Assistant,
    Agent,
    Tool,
    System,
}

/// <summary>The <c>message_type</c> of a message event.</summary>
public enum MessageType
{
    Prompt,
    Response,
    ToolCall,
    ToolResult,
    Plan,
    Summary,
    Context,
    Error,
}

/// <summary>Reading <see cref="AuthorRole"/> from the wire.</summary>
public static class AuthorRoles
{
    /// <summary>Accepted on the wire and read as <see cref="AuthorRole.Human"/> (the word other agents' logs use).</summary>
    public const string UserAlias = "user";

    /// <summary>A wire name (exact, case-sensitive) or <see cref="UserAlias"/>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AuthorRole? role)
    {
        if (text == UserAlias)
        {
            role = AuthorRole.Human;
            return true;
        }

        return WireName.TryParse(text, out role);
    }
}

/// <summary>Values of <c>status</c> in session answers.</summary>
public static class SessionStatuses
{
    public const string Active = "active";
    public const string Completed = "completed";
}
