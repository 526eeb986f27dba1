using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LinuxNet.CompatTests;

/// <summary>
/// The public surface of one LinuxNet asset as the runtime binds to it: every visible type, and every visible method
/// and field with its signature decoded modifiers included (<c>modreq</c>/<c>modopt</c>), read with
/// System.Reflection.Metadata. A type is named by where it resolves at run time: <c>[LinuxNet]</c> for a type this
/// assembly defines, <c>[ext]</c> for one in another assembly — and a type the net10.0 asset forwards (a polyfill such
/// as <c>IsExternalInit</c>) counts as <c>[ext]</c> in both, because a reference to it through LinuxNet lands in CoreLib.
/// </summary>
internal sealed class AssetSurface
{
    private AssetSurface(SortedSet<string> members, SortedSet<string> forwarded)
    {
        Members = members;
        Forwarded = forwarded;
    }

    /// <summary>One line per visible type, method and field.</summary>
    public SortedSet<string> Members { get; }

    /// <summary>The full names of the types this asset forwards to another assembly.</summary>
    public SortedSet<string> Forwarded { get; }

    /// <summary>The names of the types <paramref name="path"/> forwards elsewhere.</summary>
    public static SortedSet<string> ReadForwarders(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return ReadForwardersFrom(pe.GetMetadataReader());
    }

    /// <summary>Reads <paramref name="path"/>; <paramref name="forwardedAtRunTime"/> are the type names the loaded (net10.0) asset forwards.</summary>
    public static AssetSurface Read(string path, IReadOnlySet<string> forwardedAtRunTime)
    {
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader reader = pe.GetMetadataReader();
        var provider = new SignatureText(reader, forwardedAtRunTime);
        var members = new SortedSet<string>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            string typeName = provider.GetTypeFromDefinition(reader, typeHandle, 0);
            string baseType = type.BaseType.IsNil ? "-" : provider.Decode(type.BaseType);
            members.Add($"type {typeName} : {baseType} {type.Attributes & (TypeAttributes.ClassSemanticsMask | TypeAttributes.Sealed | TypeAttributes.Abstract)}");
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (!IsVisible(method.Attributes & MethodAttributes.MemberAccessMask))
                {
                    continue;
                }

                MethodSignature<string> signature = method.DecodeSignature(provider, null);
                string generic = signature.GenericParameterCount == 0 ? string.Empty : $"<{signature.GenericParameterCount}>";
                string kind = signature.Header.IsInstance ? "instance" : "static";
                members.Add($"method {kind} {signature.ReturnType} {typeName}::{reader.GetString(method.Name)}{generic}({string.Join(", ", signature.ParameterTypes)})");
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                if (!IsVisible((MethodAttributes)(field.Attributes & FieldAttributes.FieldAccessMask)))
                {
                    continue;
                }

                string kind = (field.Attributes & FieldAttributes.Static) != 0 ? "static" : "instance";
                members.Add($"field {kind} {field.DecodeSignature(provider, null)} {typeName}::{reader.GetString(field.Name)}");
            }
        }

        return new AssetSurface(members, ReadForwardersFrom(reader));
    }

    private static SortedSet<string> ReadForwardersFrom(MetadataReader reader)
    {
        var forwarded = new SortedSet<string>(StringComparer.Ordinal);
        foreach (ExportedTypeHandle handle in reader.ExportedTypes)
        {
            ExportedType exported = reader.GetExportedType(handle);
            if (exported.IsForwarder)
            {
                forwarded.Add(Join(reader.GetString(exported.Namespace), reader.GetString(exported.Name)));
            }
        }

        return forwarded;
    }

    // Public, protected and protected-internal members bind from other assemblies; so do they through public nesting.
    private static bool IsVisible(MethodAttributes access)
        => access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
        return visibility switch
        {
            TypeAttributes.Public => true,
            TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem
                => IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType())),
            _ => false,
        };
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    private sealed class SignatureText : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _reader;
        private readonly IReadOnlySet<string> _forwardedAtRunTime;

        public SignatureText(MetadataReader reader, IReadOnlySet<string> forwardedAtRunTime)
        {
            _reader = reader;
            _forwardedAtRunTime = forwardedAtRunTime;
        }

        public string Decode(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => GetTypeFromDefinition(_reader, (TypeDefinitionHandle)handle, 0),
            HandleKind.TypeReference => GetTypeFromReference(_reader, (TypeReferenceHandle)handle, 0),
            HandleKind.TypeSpecification => GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)handle, 0),
            _ => throw new NotSupportedException(handle.Kind.ToString()),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return GetTypeFromDefinition(reader, declaring, rawTypeKind) + "/" + reader.GetString(type.Name);
            }

            string name = Join(reader.GetString(type.Namespace), reader.GetString(type.Name));
            return (_forwardedAtRunTime.Contains(name) ? "[ext]" : "[LinuxNet]") + name;
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = reader.GetTypeReference(handle);
            string name = reader.GetString(type.Name);
            return type.ResolutionScope.Kind switch
            {
                HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "/" + name,
                HandleKind.AssemblyReference => "[ext]" + Join(reader.GetString(type.Namespace), name),
                _ => (_forwardedAtRunTime.Contains(Join(reader.GetString(type.Namespace), name)) ? "[ext]" : "[LinuxNet]") + Join(reader.GetString(type.Namespace), name),
            };
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType + " pinned";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            => genericType + "<" + string.Join(", ", typeArguments) + ">";

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired)
            => $"{unmodifiedType} {(isRequired ? "modreq" : "modopt")}({modifier})";

        public string GetFunctionPointerType(MethodSignature<string> signature)
            => $"method {signature.Header.CallingConvention} {signature.ReturnType}*({string.Join(", ", signature.ParameterTypes)})";
    }
}
