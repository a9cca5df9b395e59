using Mono.Cecil;

namespace Marketplace.Architecture.Tests;

/// <summary>How Marketplace.Web's namespaces group into features, the shared plumbing, and the top that composes them.</summary>
public static class Layers
{
    public const string Root = "Marketplace.Web";

    /// <summary>The composition root: Program and MarketplaceApp, which register and map every feature.</summary>
    public const string Composition = "(composition)";

    public const string Pages = "Pages";

    /// <summary>Shared plumbing every feature may use: entities, the database, the host's basics. It uses no feature.</summary>
    public static readonly IReadOnlyList<string> Base = ["Domain", "Data", "Hosting"];

    /// <summary>The part of Marketplace.Web a type belongs to: a feature, a base namespace, Pages or the composition root; null when not ours.</summary>
    public static string? PartOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return PartOf(type.Namespace, type.Name);
    }

    public static string? PartOf(string ns, string name)
    {
        if (ns == "AspNetCoreGeneratedDocument")
        {
            return Pages; // the compiled Razor views
        }

        if (ns.Length == 0)
        {
            return name == "Program" ? Composition : null;
        }

        if (ns == Root)
        {
            return Composition;
        }

        return ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;
    }

    public static bool IsFeature(string part) => part != Composition && part != Pages && !Base.Contains(part);

    /// <summary>A minimal-API route group's file: a static class named <c>*Api</c> in a feature.</summary>
    public static bool IsApi(TypeDefinition type) => type.Name.EndsWith("Api", StringComparison.Ordinal) && type.IsAbstract && type.IsSealed;

    public static string Describe(TypeUse use) => $"{use.From.FullName} → {use.To.FullName} ({use.How})";
}
