using Mono.Cecil;

namespace Marketplace.Architecture.Tests;

/// <summary>A use of another type by a type of ours: where it is (the using type and how) and what it names.</summary>
public sealed record TypeUse(TypeDefinition From, TypeReference To, string How);

/// <summary>A call or field access by a type of ours: what it names, and where.</summary>
public sealed record MemberUse(TypeDefinition From, MemberReference To, string Where);

/// <summary>
/// Every type a compiled assembly names, read from its IL with Mono.Cecil: base types, interfaces, attributes, fields,
/// properties, signatures, generic constraints, locals, and every type, method and field an instruction names.
/// Nested types (lambdas' closures, async state machines) count as their outermost type.
/// </summary>
public sealed class TypeReferences
{
    private TypeReferences(AssemblyDefinition assembly, List<TypeUse> types, List<MemberUse> members) => (Assembly, Types, Members) = (assembly, types, members);

    public AssemblyDefinition Assembly { get; }

    public IReadOnlyList<TypeUse> Types { get; }

    public IReadOnlyList<MemberUse> Members { get; }

    private static readonly Dictionary<string, TypeReferences> Cache = [];

    public static TypeReferences Of(System.Reflection.Assembly assembly)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(assembly.Location, out var read))
            {
                Cache[assembly.Location] = read = Read(AssemblyDefinition.ReadAssembly(assembly.Location));
            }

            return read;
        }
    }

    /// <summary>The type that carries a nested type's name in a namespace: itself, or its outermost declaring type.</summary>
    public static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static TypeReferences Read(AssemblyDefinition assembly)
    {
        var types = new List<TypeUse>();
        var members = new List<MemberUse>();
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var owner = Outermost(type);
            void Use(TypeReference? to, string how)
            {
                foreach (var named in Flatten(to))
                {
                    types.Add(new TypeUse(owner, named, how));
                }
            }

            Use(type.BaseType, "base type");
            type.Interfaces.ToList().ForEach(i => Use(i.InterfaceType, "interface"));
            Attributes(type).ToList().ForEach(a => Use(a, "attribute"));
            type.GenericParameters.SelectMany(g => g.Constraints).ToList().ForEach(c => Use(c.ConstraintType, "constraint"));
            type.Fields.ToList().ForEach(f => Use(f.FieldType, $"field {f.Name}"));
            type.Properties.ToList().ForEach(p => Use(p.PropertyType, $"property {p.Name}"));
            foreach (var method in type.Methods)
            {
                ReadMethod(method, owner, Use, members);
            }
        }

        return new TypeReferences(assembly, types, members);
    }

    private static void ReadMethod(MethodDefinition method, TypeDefinition owner, Action<TypeReference?, string> use, List<MemberUse> members)
    {
        var where = $"{method.DeclaringType.Name}.{method.Name}";
        use(method.ReturnType, $"return of {where}");
        method.Parameters.ToList().ForEach(p => use(p.ParameterType, $"parameter of {where}"));
        method.GenericParameters.SelectMany(g => g.Constraints).ToList().ForEach(c => use(c.ConstraintType, $"constraint of {where}"));
        method.CustomAttributes.ToList().ForEach(a => use(a.AttributeType, $"attribute of {where}"));
        if (!method.HasBody)
        {
            return;
        }

        method.Body.Variables.ToList().ForEach(v => use(v.VariableType, $"local in {where}"));
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference type:
                    use(type, $"code in {where}");
                    break;
                case MethodReference called:
                    use(called.DeclaringType, $"call in {where}");
                    use(called.ReturnType, $"call in {where}");
                    called.Parameters.ToList().ForEach(p => use(p.ParameterType, $"call in {where}"));
                    if (called is GenericInstanceMethod generic)
                    {
                        generic.GenericArguments.ToList().ForEach(a => use(a, $"call in {where}"));
                    }

                    members.Add(new MemberUse(owner, called, where));
                    break;
                case FieldReference field:
                    use(field.DeclaringType, $"field access in {where}");
                    use(field.FieldType, $"field access in {where}");
                    members.Add(new MemberUse(owner, field, where));
                    break;
                case CallSite site:
                    use(site.ReturnType, $"call site in {where}");
                    break;
            }
        }
    }

    private static IEnumerable<TypeReference> Attributes(TypeDefinition type) =>
        type.CustomAttributes.Select(a => a.AttributeType)
            .Concat(type.Methods.SelectMany(m => m.CustomAttributes).Select(a => a.AttributeType))
            .Concat(type.Properties.SelectMany(p => p.CustomAttributes).Select(a => a.AttributeType));

    /// <summary>The named types inside a reference: arrays, pointers and by-refs unwrapped, generic arguments included.</summary>
    private static IEnumerable<TypeReference> Flatten(TypeReference? type)
    {
        switch (type)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var inner in generic.GenericArguments.SelectMany(Flatten))
                {
                    yield return inner;
                }

                yield break;
            case TypeSpecification specification:
                foreach (var inner in Flatten(specification.ElementType))
                {
                    yield return inner;
                }

                yield break;
            default:
                yield return type;
                yield break;
        }
    }
}
