#if NETFRAMEWORK
// The net472 build runs on Mono 6.8 here, where first use of BouncyCastle's large static tables from test classes
// running in parallel failed twice in four runs of the Test task with "BadImageFormatException: Method has zero rva"
// inside a type initializer (SecObjectIdentifiers), a runtime race, not one of ours: it never showed alone or on
// .NET. One test at a time there keeps that run honest; the .NET run stays parallel.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
#endif
