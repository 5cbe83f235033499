using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace CatSyphon.Data;

/// <summary>
/// Guid keys are assigned by the application (<c>Guid.CreateVersion7()</c>, time-ordered), never by EF Core or the
/// database, so an entity's id is known before it is saved and the worker's bulk SQL can write it directly.
/// </summary>
internal sealed class ApplicationAssignedGuidKeysConvention : IModelFinalizingConvention
{
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (var entityType in modelBuilder.Metadata.GetEntityTypes())
        {
            if (entityType.FindPrimaryKey() is { Properties: [var key] } && key.ClrType == typeof(Guid))
            {
                key.Builder.ValueGenerated(ValueGenerated.Never);
            }
        }
    }
}

/// <summary>
/// A row that may point at another outlives it: deleting the other sets the reference to null (a conversation
/// whose collector, project or developer is deleted, an audit entry whose workspace is deleted). A required
/// reference cascades, EF Core's own default; a configuration that says otherwise wins over both.
/// </summary>
internal sealed class OptionalReferencesSetNullConvention : IModelFinalizingConvention
{
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        foreach (var foreignKey in modelBuilder.Metadata.GetEntityTypes().SelectMany(entityType => entityType.GetDeclaredForeignKeys()))
        {
            if (!foreignKey.IsRequired)
            {
                foreignKey.Builder.OnDelete(DeleteBehavior.SetNull);
            }
        }
    }
}
