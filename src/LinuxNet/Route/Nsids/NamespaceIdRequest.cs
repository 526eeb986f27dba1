namespace LinuxNet.Route;

/// <summary>One NSID request as the encoder writes it: the other namespace by descriptor or by process, and the id.</summary>
/// <param name="Fd">The namespace descriptor for <c>NETNSA_FD</c>, or -1.</param>
/// <param name="ProcessId">The process for <c>NETNSA_PID</c> when <paramref name="Fd"/> is -1.</param>
/// <param name="Id">The id for <c>NETNSA_NSID</c> (-1 = let the kernel pick); unused by a get.</param>
internal readonly record struct NamespaceIdRequest(int Fd, int ProcessId, int Id);
