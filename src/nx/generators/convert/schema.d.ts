export interface ConvertGeneratorSchema {
  project: string;
  target?: string;
  skipFormat?: boolean;
  skipPackageJson?: boolean;
}
