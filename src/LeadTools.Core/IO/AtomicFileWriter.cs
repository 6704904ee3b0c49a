using System;
using System.IO;

namespace LeadTools.Core.IO
{
    /// <summary>What to do when the destination file already exists.</summary>
    public enum ExistingFile
    {
        /// <summary>Replace it (a read-only file is refused).</summary>
        Overwrite,
        /// <summary>Replace it even when it is read-only.</summary>
        OverwriteReadOnly,
        /// <summary>Refuse: the file is left as it is.</summary>
        Fail,
    }

    /// <summary>
    /// Writes a file atomically: everything goes to a temporary file in the same folder, which replaces the
    /// destination by a rename only on <see cref="Commit"/>. A failed, cancelled or killed write leaves the
    /// old file (or none), never a half-written one.
    /// </summary>
    public sealed class AtomicFileWriter : IDisposable
    {
        private readonly ExistingFile _existing;
        private FileStream? _stream;
        private bool _committed;

        /// <summary>Opens the temporary file for <paramref name="path"/>; checks up front that the destination may be written.</summary>
        public AtomicFileWriter(string path, ExistingFile existing = ExistingFile.Overwrite)
        {
            Path = System.IO.Path.GetFullPath(path);
            _existing = existing;
            var folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
            CheckDestination();
            TempPath = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        }

        /// <summary>The destination.</summary>
        public string Path { get; }

        /// <summary>The temporary file written until <see cref="Commit"/>.</summary>
        public string TempPath { get; }

        /// <summary>The stream to write to.</summary>
        public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(AtomicFileWriter));

        /// <summary>Flushes to disk and renames the temporary file over the destination.</summary>
        public void Commit()
        {
            if (_stream == null) throw new ObjectDisposedException(nameof(AtomicFileWriter));
            _stream.Flush(true);
            _stream.Dispose();
            _stream = null;
            CheckDestination();
            if (File.Exists(Path))
            {
                if (_existing == ExistingFile.OverwriteReadOnly)
                {
                    var attributes = File.GetAttributes(Path);
                    if ((attributes & FileAttributes.ReadOnly) != 0) File.SetAttributes(Path, attributes & ~FileAttributes.ReadOnly);
                }
                File.Replace(TempPath, Path, null);
            }
            else
            {
                File.Move(TempPath, Path);
            }
            _committed = true;
        }

        /// <summary>Discards the temporary file unless committed.</summary>
        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
            if (!_committed)
            {
                try
                {
                    File.Delete(TempPath);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        private void CheckDestination()
        {
            if (Directory.Exists(Path)) throw new IOException($"'{Path}' is a folder.");
            if (!File.Exists(Path)) return;
            if (_existing == ExistingFile.Fail) throw new IOException($"The file '{Path}' already exists.");
            if (_existing == ExistingFile.Overwrite && (File.GetAttributes(Path) & FileAttributes.ReadOnly) != 0)
            {
                throw new UnauthorizedAccessException($"The file '{Path}' is read-only; use -Force to replace it.");
            }
        }
    }
}
