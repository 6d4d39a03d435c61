{
  description = "parviraptor: database-backed job queues for Django (development shell)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs { inherit system; };
      in
      {
        devShells.default = pkgs.mkShell {
          packages = with pkgs; [
            # the interpreters of the tox matrix
            python310
            python311
            python312

            # tooling
            just
            python3Packages.tox
            hatch
            ruff

            # mysqlclient builds against these; clients for the test databases
            pkg-config
            libmysqlclient
            mariadb.client
            postgresql
          ];

          shellHook = ''
            export PIP_DISABLE_PIP_VERSION_CHECK=1
          '';
        };

        formatter = pkgs.nixpkgs-fmt;
      });
}
