namespace LinuxNet.Samples.Cni;

/// <summary>One entry of a result's <c>interfaces</c>; <see cref="Sandbox"/> is set for the container's.</summary>
internal sealed record CniInterface(string Name, string? Mac, string? Sandbox);
