# Docket: one static binary (pure-Go SQLite, no cgo), run as a non-root user.
#   docker build -t docket .
#   docker run -p 8080:8080 -v docket-data:/data docket serve --demo
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/docket-dev/docket/internal/cli.Version=${VERSION}" \
    -o /out/docket ./cmd/docket && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/docket /usr/local/bin/docket
# The volume's mount point belongs to the nonroot user (65532), so a new volume does too.
COPY --from=build --chown=65532:65532 /out/data /data
# The SQLite file lives on a volume; for PostgreSQL set DOCKET_DB=postgres://...
ENV DOCKET_DB=/data/docket.db \
    DOCKET_ADDR=0.0.0.0:8080
VOLUME ["/data"]
WORKDIR /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/docket"]
CMD ["serve"]
