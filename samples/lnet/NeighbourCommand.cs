namespace LinuxNet.Samples.Lnet;

internal static class NeighbourCommand
{
    public static int Run(LnetContext context, Args args)
    {
        _ = context;
        _ = args;
        throw new UsageException("Error: this object is not available yet in lnet.");
    }
}
