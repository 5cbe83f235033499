namespace CatSyphon.Data;

// Every enum here is stored as text: its wire name (snake_case of the member name, see CatSyphon.Protocol.WireName),
// which is also the value the API uses. The event vocabulary (EventType, AuthorRole, MessageType) is the
// protocol's own, in CatSyphon.Protocol.

/// <summary>Who may register a collector in a workspace without the admin token.</summary>
public enum CollectorRegistration
{
    /// <summary>A valid enrollment token of the workspace (or the admin token) is required.</summary>
    Token,

    /// <summary>Anyone who knows the workspace id may register.</summary>
    Open,
}

public enum ConversationStatus
{
    Active,
    Completed,
}

public enum IngestionSource
{
    Collector,
    Upload,
}

public enum IngestionOutcome
{
    Accepted,
    Refused,
    Failed,
}
