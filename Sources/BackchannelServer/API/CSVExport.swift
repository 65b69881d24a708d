import Foundation
import HTTP1

/// RFC 4180 CSV, safe to open in a spreadsheet: cells that would start a formula get a leading `'`.
enum CSVExport {
    static func response(filename: String, header: [String], rows: [[String]]) -> HTTPResponse {
        var text = self.line(header)
        for row in rows { text += self.line(row) }
        var response = HTTPResponse(status: .ok, body: Array(text.utf8))
        response.headers.add(name: "Content-Type", value: "text/csv; charset=utf-8")
        response.headers.add(name: "Content-Disposition", value: "attachment; filename=\"\(filename)\"")
        return response
    }

    static func line(_ cells: [String]) -> String {
        cells.map(self.cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
