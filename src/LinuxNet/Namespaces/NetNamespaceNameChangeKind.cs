namespace LinuxNet.Namespaces;

/// <summary>What happened to a name under <see cref="NetNamespace.RunDirectory"/> (see <see cref="NetNamespaceMonitor"/>).</summary>
public enum NetNamespaceNameChangeKind
{
    /// <summary>A name appeared (<c>ip netns add</c>, <c>ip netns attach</c>, <see cref="NetNamespace.Create"/>): <c>ip netns monitor</c> prints <c>add NAME</c>.</summary>
    Added,

    /// <summary>A name went away (<c>ip netns del</c>, <see cref="NetNamespace.Delete"/>): <c>ip netns monitor</c> prints <c>delete NAME</c>.</summary>
    Deleted,

    /// <summary>
    /// The kernel's event queue overflowed and changes were lost; <see cref="NetNamespaceNameChange.Name"/> is
    /// <see langword="null"/>. Read <see cref="NetNamespace.List"/> again to know the current names.
    /// </summary>
    Overflow,
}
