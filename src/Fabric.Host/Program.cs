Console.WriteLine("fabric");
