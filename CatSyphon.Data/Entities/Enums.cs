namespace CatSyphon.Data;

// Stored as text: its wire name (snake_case of the member name, see CatSyphon.Protocol.WireName), which is also
// the value the API uses. The event vocabulary (EventType, AuthorRole, MessageType) is the protocol's own, in
// CatSyphon.Protocol; the enums the API sends as they are (CollectorRegistration, IngestionSource,
// IngestionOutcome) live in CatSyphon.Contracts and are stored the same way.

public enum ConversationStatus
{
    Active,
    Completed,
}
