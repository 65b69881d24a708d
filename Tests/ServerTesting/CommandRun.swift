import Foundation
import TestSupport

/// One run of the `backchannel` binary to completion: its exit status and what it printed.
public struct CommandRun {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public static func backchannel(_ arguments: [String]) throws -> CommandRun {
        let process = Process()
        process.executableURL = try ServerProcess.binary()
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large export cannot fill a pipe and stall.
        let errData = Shared(Data())
        let errDone = DispatchSemaphore(value: 0)
        let reader = Thread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errData.update { $0 = data }
            errDone.signal()
        }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        return CommandRun(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }
}
